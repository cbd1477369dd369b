"""First names common in English and French Canada, for the PII guard's name detector.

Written for this project (no outside list is copied): given names frequent among adults
in Ontario and Québec, without accents (names are compared accent-folded and in lower
case). Left out on purpose, because as capitalised words they are more often something
else: names that are English or French words at the start of a sentence (Guy, Will, May,
June, April, August, Grace, Hope, Faith, Joy, Dawn, Summer, Rose, Mark, Bill, Pat, Sue,
Ray, Art, Don, Frank, Crystal, Chase, Hunter, Chance, Rocky, Sandy, Victoire, Constance,
Prudence, Aime), and names that are also car models (Sienna, Sierra, Mercedes, Lincoln).
A name missing here is still caught with an initial ("Jenna T."), after "first name" or
« prénom », or as the object of what police did ("picked up X").
"""

from __future__ import annotations

_ENGLISH = """
aaron abby abigail adam adrian aidan aiden alan albert alex alexa alexis alice alicia
alison allan allison alyssa amanda amber amy andre andrea andrew andy angela angie anna
anne annie anthony antonio ashley austin ava barbara becky ben benjamin beth bethany
betty beverly bianca blake bobby bonnie brad bradley brandon brenda brendan brett brian
bridget brittany brooke bruce bryan caitlin caleb cameron carl carla carlos carmen
carol caroline carrie casey cassandra cassie catherine cathy chad charlene charles
charlie charlotte chelsea cheryl chloe chris christian christina christine christopher
cindy claire clara clayton cody colin colleen connor corey courtney craig curtis cynthia
dale dalton dan dana daniel danielle danny darlene darren darryl dave david dean deanna
debbie deborah dee denise dennis derek destiny devin diana diane dillon dominic donald
donna doreen doug douglas duncan dustin dwayne dylan eddie edward eileen elaine elijah
elizabeth ella ellen emily emma eric erica erin ethan eva evan evelyn felicia fiona
gabriel gail garrett gary gavin george gerald gina glen glenn gloria gordon greg gregory
hailey haley hannah harold harry hayden heather heidi henry holly howard ian isaac
isabella jack jackie jackson jacob jacqueline jade jake james jamie jan jane janet janice
jared jasmine jason jay jean jeff jeffrey jenna jennifer jenny jeremy jerry jesse jessica
jill jim jimmy joan joanne jodi joe joel joey john johnny jon jonathan jordan joseph josh
joshua joyce judy julia justin kaitlyn karen kate katelyn katherine kathleen kathy katie
kayla keith kelly kelsey ken kendra kenneth kerry kevin kim kimberly kristen kristin
kyle lance larry laura lauren leah lee leon leslie lily linda lindsay lindsey lisa logan
lori lorraine louise lucas lucy luke lyle madison mandy marcus margaret maria marie
marilyn marissa marlene martha martin marvin mary matt matthew maureen megan melanie
melissa michael michelle mike miranda missy mitchell molly monica morgan nancy natalie
nathan neil nicholas nick nicole noah norman olivia owen paige pamela patricia patrick
paula peggy penny peter philip phillip rachel randy rebecca reggie rhonda ricky robert
roberta robin rodney roger ronald ronnie roxanne ruby russell ryan sabrina sally samantha
sandra sara sarah scott sean shane shannon sharon shawn shawna sheila shelby shelley
sherry shirley sophie spencer stacey stacy stephanie stephen steve steven stuart susan
suzanne sydney tamara tammy tanya tara taylor teresa terry theresa thomas tiffany tim
timothy tina todd tony tracy travis trevor troy tyler tyrone valerie vanessa vicky
victoria vincent wade walter wanda warren wayne wendy wesley whitney william willie
zachary zach aisha priya liam tom helen karim nadia paul omar ahmed fatima mohamed
muhammad ali hassan amir samira yasmin leila raj ravi anil sunil deepak amrit harpreet
manpreet gurpreet jaspreet simran wei ming hyun minh thanh
"""

_FRENCH = """
adele adrien agathe alain alexandra alexandre alexis alfred alice aline amelie anais
andre andree angele annabelle anne-marie antoine ariane armand arnaud audrey aurelie
bastien beatrice benoit bernadette bernard brigitte bruno camille carole caroline
catherine cedric celine chantal charles-antoine christiane christophe claude claudette
claudia claudine clement colette coralie corinne cyril daniel danielle david denis denise
diane dominique eliane elise eloise emile emilie emmanuel emmanuelle eric estelle etienne
eve evelyne fabien fabienne felix fernand florence francine francis francois francoise
frederic frederique gabrielle gaetan gaston genevieve georges gerard germain gervais
gilbert gilles ginette gisele guillaume guylaine guyleine helene henri herve hugo hugues
irene isabelle jacinthe jacques jean-claude jean-francois jean-guy jean-luc jean-marc
jean-philippe jean-pierre jean-sebastien jeannine jerome jocelyn jocelyne joelle johanne
josee joseph josiane julien juliette justine karine laurent laurence lea leo leonie
lise louis louis-philippe louise luc luce lucie lucien lyne madeleine manon marc-andre
marc-antoine marcel marcelle marie-claude marie-eve marie-josee marie-pier marie-soleil
marielle marise martine mathieu mathilde maude maurice maxime melanie melissa michel
micheline mireille monique murielle myriam nancy nathalie nicolas noel noemie normand
olivier pascal pascale patrice paul-andre philippe pierre pierre-luc raymond real
regis remi renald rene richard robert roch rodrigue roger roland romain rosalie roxane
sabrina samuel sandrine sebastien serge simon simone solange sonia sophie stephane
steve suzanne sylvain sylvie therese thierry tommy valerie veronique vincent virginie
xavier yannick yves yvette yvon yvonne zoe julie marc jonathan mathis william
"""

# Accent-folded, lower case; hyphenated names are listed whole ("marie-eve").
FIRST_NAMES: frozenset[str] = frozenset((_ENGLISH + _FRENCH).split())
